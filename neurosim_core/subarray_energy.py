"""Read energy and leakage of the CIM subarray (NeuroSim V1.4 SubArray model, "CalculatePower").

A mixin of `neurosim_core.subarray.SubArray`.  The periphery's energies of one read and the
leakage are summed by the evaluator of `neurosim_core.arch` from the parts' bucket tags
(`SubArrayEnergy._evaluate`); NeuroSim's "ADC" figure is the ADC bucket plus the array's.
"""
from __future__ import annotations

import math

import numpy as np

from . import formula
from .constants import INV
from .arch import ActionCost, ComponentModel, Macro, Part, Use, energy
from .circuits.base import Component

#: wire capacitance per metre used for rows and columns (0.2 fF/um)
_WIRE_CAP_PER_M = 0.2e-15 / 1e-6
#: inference never writes the array (see subarray.py)
_NO_WRITE = 0.0


def _snapshot(kind: str, circuit: Component) -> ComponentModel:
    """Transitional: an old-shape circuit's computed read energy as the cost of one "read"."""
    return ComponentModel(kind=kind, area_m2=circuit.area, height_m=circuit.height, width_m=circuit.width,
                          leakage_w=circuit.leakage, actions={"read": ActionCost(energy_j=circuit.read_dynamic_energy)})



class SubArrayEnergy:
    """Energy methods of `SubArray` (see the module docstring)."""

    # ------------------------------------------------------------------------------------------
    def calculate_power(self, column_resistance, activity_row_read):
        """Read dynamic energy of every input vector and the leakage (model's ``CalculatePower``), batched.

        Parameters are those of `calculate_latency` (without the pass flag).

        Returns
        -------
        ``read_dynamic_energy`` per vector (J): an array of shape (n_vectors,), a float for a
        1-D ``column_resistance``.  Also sets, with the same shape, ``read_dynamic_energy``,
        ``read_dynamic_energy_adc``, ``read_dynamic_energy_accum``,
        ``read_dynamic_energy_other`` and ``read_dynamic_energy_array`` (per vector, to be
        summed by the caller), and the scalars ``leakage`` (W, whole subarray) and
        ``leakage_sram_in_use`` (W; SRAM cells that leak while the array computes; 0 for eNVM).
        """
        if not self.initialized:
            raise RuntimeError("SubArray: initialize() first")
        res2, act, single = self._batch(column_resistance, activity_row_read)
        if self.is_sram:
            parts = self._power_sram(res2, act)
        else:
            parts = self._power_envm(res2, act)
        n = res2.shape[0]
        total, adc, accum, other, array = parts
        self.read_dynamic_energy = self._out(total, n, single)
        self.read_dynamic_energy_adc = self._out(adc, n, single)
        self.read_dynamic_energy_accum = self._out(accum, n, single)
        self.read_dynamic_energy_other = self._out(other, n, single)
        self.read_dynamic_energy_array = self._out(array, n, single)
        return self.read_dynamic_energy

    def _adc_power(self, res2, num_read, num_read_encoder) -> None:
        self.adc_num_read = np.broadcast_to(np.asarray(num_read, dtype=float), (res2.shape[0],))
        self.adc_slot.calculate_power(res2, num_read)  # (the MLSA encoder's dynamic energy is neglected)

    def _adc_parts(self) -> list:
        return [("adc", self.adc_slot, "adc")]

    def _mux_parts_list(self) -> list:
        if self.num_col_muxed <= 1:
            return []
        return [("column_mux", self.mux, "other"), ("column_mux_decoder", self.mux_decoder, "other")]

    def _accumulation(self, reads, adders_per_op, bits_per_op) -> None:
        """The adder + register that accumulate partial sums: ``reads`` additions of
        ``adders_per_op`` adders, each clocking the register and capturing ``bits_per_op`` bits."""
        self._accum_ops = (reads, adders_per_op, bits_per_op)

    def _accumulation_ops_none(self) -> None:
        self._accum_ops = None  # no partial sums to add (one row group)

    def _accumulation_parts(self) -> tuple[list[Part], list[Use]]:
        """Real models priced per action (`adder_bank`, `dff_bank`): parts and uses of this read."""
        if self._accum_ops is None:
            return [], []
        reads, adders_per_op, bits_per_op = self._accum_ops
        register = self.dff.model(gamma=self.p.gamma if self.validated else 1.0)
        adder = self.adder.model()
        parts = [Part("accumulation_register", register, "accumulation"),
                 Part("accumulation_adder", adder, "accumulation")]
        uses = [Use("accumulation_register", "clock", reads),
                Use("accumulation_register", "capture", reads * np.minimum(bits_per_op, register.port("num_dff"))),
                Use("accumulation_adder", "add", reads * np.minimum(adders_per_op, adder.port("num_adder")))]
        return parts, uses

    def _evaluate(self, entries, array_energy, array_leakage: float):
        """Energy of this read and the subarray leakage, by the evaluator of `neurosim_core.arch`.

        ``entries``: (role, circuit, bucket[, read]) of the periphery; ``read=False``: a part that
        only leaks during this read (write path, the precharger of a parallel read).  Transitional: circuits not yet
        converted to `arch` builders enter as snapshots of their computed read energy (one
        "read" per operation).  NeuroSim's "ADC" energy is the ADC bucket plus the array's.
        Returns (total, adc, accumulation, other, array) and sets ``leakage``.
        """
        parts = [Part("array", ComponentModel(kind="cim_array", area_m2=self.area_array, height_m=self.height_array,
                                              width_m=self.width_array, leakage_w=array_leakage,
                                              actions={"read": ActionCost(energy_j=array_energy)}), "array")]
        parts += [Part(entry[0], _snapshot(entry[0], entry[1]), entry[2]) for entry in entries]
        idle = {entry[0] for entry in entries if len(entry) > 3 and not entry[3]}
        uses = [Use(part.role, "read") for part in parts if part.role not in idle]
        accumulation, accumulation_uses = self._accumulation_parts()
        for role, unit, times in self._shift_ops:
            accumulation.append(Part(role, unit.model(), "accumulation"))
            accumulation_uses.append(Use(role, "shift_add", times))
        macro = Macro("subarray", tuple(parts + accumulation))
        e = energy(macro, uses + accumulation_uses)
        self.leakage = macro.leakage_w()
        return e.total, e.adc + e.array, e.accumulation, e.other, e.array

    def _mux_power(self) -> tuple[float, float]:
        """(read energy, leakage) of the column mux + its decoder (0 when not muxed)."""
        if self.num_col_muxed <= 1:
            return 0.0, 0.0
        self.mux.calculate_power(self.num_col_muxed)
        self.mux_decoder.calculate_power(self.num_col_muxed, 1)
        return (self.mux.read_dynamic_energy + self.mux_decoder.read_dynamic_energy,
                self.mux.leakage + self.mux_decoder.leakage)

    def _partial_sum_power(self) -> None:
        """Parallel modes: adder + DFF of the row-group partial sums, and the shift-adders."""
        n_mux, n_add = self.num_col_muxed, self.num_add
        if n_add > 1:
            self._accumulation(n_mux * (n_add - 1), self._num_adc,
                               self._num_adc * (math.log2(self.level_output) + math.ceil(math.log2(n_add)) / 2))
        else:
            self._accumulation_ops_none()
        self._shift_add_power()

    def _shift_add_power(self) -> None:
        groups = self.p.synapses_per_mux
        self._shift_adds((self.num_cell_per_synapse - 1) * groups, groups)

    def _shift_adds(self, weight_times, input_times) -> None:
        """Shift-and-adds of one read: over the cells of a synapse (weight) and the input bits."""
        ops = []
        if self.num_cell_per_synapse > 1:
            ops.append(("shift_add_weight", self.shift_add_weight, weight_times))
        if self.num_read_pulse > 1:
            ops.append(("shift_add_input", self.shift_add_input, input_times))
        self._shift_ops = ops

    def _power_sram(self, res2, act):
        p, tech, cell = self.p, self.tech, self.cell
        f, vdd2 = tech.feature_size, tech.vdd * tech.vdd
        num_row, num_col, n_mux = self.num_row, self.num_col, self.num_col_muxed
        ops_per_row = (num_col // self.num_read_cell_per_operation_neuro
                       if num_col > self.num_read_cell_per_operation_neuro else 1)
        write_rows = _NO_WRITE
        cell_leak = formula.gate_leakage(INV, 1, cell.width_sram_cell_nmos * self._fin * f,
                                         cell.width_sram_cell_pmos * self._fin * f, p.temperature_k, tech) * tech.vdd * 2
        self.leakage_sram_in_use = cell_leak
        leakage = cell_leak * num_row * num_col
        if self.conventional_sequential:
            reads = ops_per_row * num_row * act
            ncps = self.num_cell_per_synapse
            per_op = self.num_read_cell_per_operation_neuro // ncps
            self.wl_decoder.calculate_power(num_row * act, _NO_WRITE)
            self.precharger.calculate_power(reads, write_rows)
            self.sram_write_driver.calculate_power(write_rows)
            self._accumulation(reads, per_op, per_op * (math.ceil(math.log2(num_row)) / 2 + 1))
            self.sense_amp.calculate_power(reads)
            self._shift_adds(ncps - 1, 1)
            array = self.cap_row1 * vdd2 * num_row * act  # WL charging; BL discharge is in the precharger
            self.leakage_sram_in_use *= (num_row - 1) * num_col
            return self._evaluate(
                [("wl_decoder", self.wl_decoder, "other"), ("precharger", self.precharger, "adc"),
                 ("sense_amp", self.sense_amp, "adc"), ("write_driver", self.sram_write_driver, "other", False),],
                array, leakage)

        sm, n_add = self.wl_switch_matrix, self.num_add
        sm.calculate_power(n_mux, 2 * write_rows, act, _NO_WRITE)
        self.precharger.calculate_power(n_mux * n_add, write_rows)
        self.sram_write_driver.calculate_power(write_rows)
        # the reference columns' row interface (pass-through value; the MLSA builder computes the same)
        self.reference_energy_peri = self.cap_row1 / p.num_col_subarray * vdd2 * num_row
        mux_energy, mux_leak = self._mux_power()
        self._adc_power(res2, n_add, n_mux * n_add)
        self._partial_sum_power()
        array = self.cap_row1 * vdd2 * num_row * act
        array = array + (self.drive_cap_in + self.drive_cap_out) * vdd2 * p.buffer_number * 2 * num_row * act
        array = array * n_mux
        self.leakage_sram_in_use *= (num_row * num_col - self.num_row_parallel * self._num_adc)
        # the precharger is not used in parallel read (it only leaks)
        return self._evaluate(
            [("wl_switch_matrix", sm, "other"), ("precharger", self.precharger, "adc", False),
             ("write_driver", self.sram_write_driver, "other", False), *self._adc_parts(), *self._mux_parts_list(),],
            array, leakage)

    def _power_envm(self, res2, act):
        p, tech, cell = self.p, self.tech, self.cell
        vdd2 = tech.vdd * tech.vdd
        num_row, num_col, n_mux = self.num_row, self.num_col, self.num_col_muxed
        self.leakage_sram_in_use = 0.0
        num_read_cells = math.ceil(num_col / n_mux)
        write_rows = _NO_WRITE
        slsm = self.sl_switch_matrix
        slsm.calculate_power(0, write_rows, act, _NO_WRITE)
        mux_energy, mux_leak = self._mux_power()
        if self.conventional_sequential:
            row_reads = num_row * act * n_mux
            self.wl_decoder.calculate_power(row_reads, write_rows)
            if self.is_1t1r:
                self.wl_new_decoder_driver.calculate_power(row_reads, write_rows)
            else:
                self.wl_decoder_driver.calculate_power(num_read_cells, num_col, row_reads, write_rows)
            self._adc_power(res2, num_row * act, row_reads)
            self._zero_idle_adc_energy(num_row * act)
            self._accumulation(n_mux * num_row * act, num_read_cells,
                               num_read_cells * (math.ceil(math.log2(num_row)) / 2 + self.avg_weight_bit))
            self._shift_add_power()
            cap_bl = self.length_col * _WIRE_CAP_PER_M
            array = cap_bl * cell.read_voltage * cell.read_voltage * num_read_cells  # selected BLs
            array += self.cap_row2 * vdd2  # selected WL
            array = array * (num_row * act * n_mux)
            return self._evaluate(
                [("wl_decoder", self.wl_decoder, "other"), ("wl_new_decoder_driver", self.wl_new_decoder_driver, "other"),
                 ("wl_decoder_driver", self.wl_decoder_driver, "other"), ("sl_switch_matrix", slsm, "other", False),
                 *self._mux_parts_list(), *self._adc_parts(),],
                array, 0.0)

        n_add = self.num_add
        row_driver = self.wl_new_switch_matrix if self.is_1t1r else self.wl_switch_matrix
        if self.is_1t1r:
            row_driver.calculate_power(n_mux, write_rows, act)
        else:
            row_driver.calculate_power(n_mux, write_rows, act, _NO_WRITE)
        self._adc_power(res2, n_add, n_mux * n_add)
        self._partial_sum_power()
        array = self.cap_row2 * vdd2 * num_row * act  # selected WLs
        array = array + (self.drive_cap_in + self.drive_cap_out) * vdd2 * p.buffer_number * 2 * num_row * act
        array = array * n_mux
        repeater_leak = 0.0
        if p.buffer_number > 0:
            repeater_leak = (formula.gate_leakage(INV, 1, self.width_inv_n, self.width_inv_p, p.temperature_k, tech)
                             * p.buffer_number * 2 * p.num_row_subarray)
        return self._evaluate(
            [("wl_driver", row_driver, "other"), ("sl_switch_matrix", slsm, "other", False), *self._mux_parts_list(),
             *self._adc_parts(),],
            array, repeater_leak)

    def _zero_idle_adc_energy(self, num_read) -> None:
        """Sequential eNVM: a vector with no active row reads the ADC 0 times (reference: NaN * 0)."""
        idle = np.asarray(num_read) == 0
        if not idle.any():
            return
        adc = self.adc_slot
        energy = np.broadcast_to(np.asarray(adc.read_dynamic_energy, dtype=float), idle.shape)
        adc.read_dynamic_energy = np.where(idle, 0.0, energy)

    def adc_column_energy_sum(self, column_resistance) -> np.ndarray:
        """(n_vectors,) the column-resistance-dependent part of one ADC conversion (J).

        The ADC read energy of a vector is affine in it with slope ``adc_num_read`` (the number
        of conversions, set by `calculate_power`); `read_table` uses this to add the real
        columns of eNVM vectors to a table built with open columns.
        """
        return self.adc_slot.column_energy_sum(np.asarray(column_resistance, dtype=float))

    def adc_energy_kernel_args(self) -> tuple:
        """The ADC's `circuits.adc.conversion_energy` arguments after the column resistance."""
        return self.adc_slot.energy_kernel_args()

